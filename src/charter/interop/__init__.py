"""Data in and out of `charter`: Open Cap Format packages and spreadsheets (issue 13)."""
