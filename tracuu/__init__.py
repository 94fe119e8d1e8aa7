"""The edge of Tra Cứu: settings and the command line."""
