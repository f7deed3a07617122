"""Versioned criteria: the file format (``document``), its validation (``validation``),
import, publishing and new drafts (``lifecycle``), loading for the engine and the pages
(``loading``) and the admin's preview (``preview``)."""
