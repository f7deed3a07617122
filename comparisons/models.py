"""The comparison model: disciplines compared dimension by dimension.

Disciplines and dimensions are data. Nothing here assumes there are exactly two
disciplines; an admin may add a third.
"""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords


class Source(models.Model):
    """Where a comparison fact comes from, credited on every page that shows it."""

    title = models.CharField(max_length=300)
    author = models.CharField(max_length=200)
    published_on = models.DateField()
    url = models.URLField(blank=True)

    class Meta:
        ordering = ["published_on", "title"]
        constraints = [
            models.UniqueConstraint(fields=["title", "author"], name="source_unique_title_author"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.author}, {self.published_on:%d %b %Y})"


class Discipline(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100, unique=True)
    summary = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Dimension(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100, unique=True)
    question = models.CharField(
        max_length=300, blank=True, help_text="What this dimension asks of a team."
    )
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Stance(models.Model):
    """What one discipline holds on one dimension."""

    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="stances")
    discipline = models.ForeignKey(Discipline, on_delete=models.CASCADE, related_name="stances")
    summary = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, null=True, blank=True, related_name="stances"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["dimension__order", "discipline__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["dimension", "discipline"], name="stance_unique_dimension_discipline"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dimension} / {self.discipline}: {self.summary}"


class Foundation(models.Model):
    """A practice named outside the table: shared by both, or added by AI work."""

    class Kind(models.TextChoices):
        SHARED = "shared", "Shared foundation"
        ADDED = "added", "Added by AI engineering"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = models.CharField(max_length=100)
    detail = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, null=True, blank=True, related_name="foundations"
    )

    class Meta:
        ordering = ["kind", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="foundation_unique_kind_name"),
        ]

    def __str__(self) -> str:
        return self.name
