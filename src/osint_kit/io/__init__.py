"""Files to text tables: encodings, delimiters, spreadsheet row numbers. Imports only the core."""
