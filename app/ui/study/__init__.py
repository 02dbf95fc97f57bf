"""The study feature: the start page and study path, topics, the glossary browser, study notes and
which pages the student has read."""
