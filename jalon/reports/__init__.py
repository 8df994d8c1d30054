"""Rendering: SVG Gantt charts, month calendars, PDF/PNG exports and French typography."""
