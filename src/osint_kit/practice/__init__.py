"""The synthetic practice case and exercise checks."""
