"""People on pages that other views render: the home page's section, a team's buttons."""

from __future__ import annotations

from django import template

from .. import roster
from ..models import Organization

register = template.Library()


@register.inclusion_tag("assessment/people_section.html", takes_context=True)
def people_section(context) -> dict:
    """The home page's list of teams whose people the user manages, and organizations
    whose teams they lead."""
    user = context["user"]
    return {
        "teams": roster.teams_of_people_manager(user=user),
        "organizations": list(Organization.objects.with_lead(user)),
    }


@register.simple_tag(takes_context=True)
def manages_people(context, team) -> bool:
    return roster.can_manage_people(user=context["user"], team=team)
