"""Views: parse the request, fetch what the user may see (``selectors``), call one service,
render. Every object is fetched through a QuerySet scoped to the user, so anything outside
the user's teams is a 404 whatever the URL says."""
