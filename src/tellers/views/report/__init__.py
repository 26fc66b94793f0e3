"""Formatting: terminal tables (Rich), JSON documents, Vega-Lite charts (Altair) and the HTML
report. May import every layer below; it computes nothing a lower layer could."""
