from django.contrib import admin

from .models import Dimension, Discipline, Foundation, Source, Stance


class StanceInline(admin.TabularInline):
    model = Stance
    extra = 0
    fields = ["discipline", "summary", "detail", "source"]
    autocomplete_fields = ["discipline"]


@admin.register(Discipline)
class DisciplineAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Dimension)
class DimensionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name", "slug", "question", "stances__summary"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [StanceInline]


@admin.register(Stance)
class StanceAdmin(admin.ModelAdmin):
    list_display = ["dimension", "discipline", "summary"]
    list_filter = ["discipline", "dimension"]
    search_fields = ["summary", "detail"]
    list_select_related = ["dimension", "discipline"]


@admin.register(Foundation)
class FoundationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "order"]
    list_filter = ["kind"]
    search_fields = ["name", "detail"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["title", "author", "published_on"]
    search_fields = ["title", "author"]
