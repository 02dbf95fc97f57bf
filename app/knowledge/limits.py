"""How large the files and texts IronBone reads may be: what it can parse and show promptly.

Each bound sits far above what the shipped content/ uses (the comments give what was measured) and far
below what freezes the app. Loaders and `check-content` refuse anything beyond them with the file
and line, so an author learns of it before a student's window would hang.
"""

from __future__ import annotations

KB = 1024
MB = 1024 * KB

# A content file (YAML or a markdown page). The largest shipped one is pathway.yaml, 28 KB; parsing
# a dense 2 MB YAML file takes 4-5 s, so YAML is also bounded by its number of values below.
CONTENT_FILE_BYTES = 2 * MB

# YAML structure (every loader; see yamlio.load_yaml). Shipped: at most 2,205 values in one file
# (pathway.yaml), nesting 6 deep, the longest text 647 characters (a tour caption). A 2,000-node
# pathway (the scale benchmark's, 0.77 MB) holds about 110,000 values and parses in ~0.6 s.
YAML_MAX_VALUES = 250_000  # ~1.3 s to parse at most; refused as soon as the count is passed
YAML_MAX_DEPTH = 32
YAML_MAX_TEXT = 20_000  # characters in one value: a long page of prose in a label or tooltip

# Markdown page bodies and tour captions (rendered by a rich-text view). Shipped: the longest body
# is 9,165 characters (topics/about-model.md), the largest table 11 rows x 4 columns (44 cells).
# Measured offscreen: Qt lays out a table at ~0.2 ms a cell (1,000 cells ~0.2 s, 5,000 ~1.6 s, a
# 5000 x 200 table minutes), while 1,000,000 characters of plain paragraphs take ~90 ms.
PAGE_MAX_CHARS = 200_000
TABLE_MAX_CELLS = 1_000
TABLE_MAX_COLUMNS = 20

# An id (node, page, scenario, treatment, tour): a session names them, and a session file is
# refused with a longer one, so content may not make one the app could not save. Shipped: 30 at most.
ID_MAX_CHARS = 200

# A page's image (read by the page panel from content/ or resources/). Shipped: 0.39 MB at most.
IMAGE_FILE_BYTES = 8 * MB

# The parsed-content cache (a pickle). The shipped tree pickles to 0.23 MB.
CACHE_FILE_BYTES = 64 * MB
