"""The session feature: .ironbone files (new, open, recent, save, drag and drop) and crash recovery."""
