"""Reports: the report document and its snapshot (``document``), the page's view of it
(``page``), the CSV exports (``exports``), a team's trend (``trend``), an organization's
dashboard (``dashboard``) and the charts' geometry (``charts``)."""
