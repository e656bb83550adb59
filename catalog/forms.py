"""Forms of the catalogue's pages: the browse filters (a filter set: it narrows a queryset) and the calendar feed."""

from django import forms
from django.db.models import Case, Count, Exists, F, OuterRef, Q, Value, When
from django.utils import timezone

from catalog.models import Course, Enrolment, Session

# Duration buckets a learner thinks in, as (value, label, minimum minutes, maximum minutes exclusive).
DURATIONS = [
    ("short", "Under an hour", 0, 60),
    ("half_day", "1–4 hours", 60, 240),
    ("day", "4–8 hours", 240, 480),
    ("long", "A day or more", 480, None),
]
RATINGS = [("4", "4 stars and up"), ("3", "3 stars and up"), ("2", "2 stars and up")]
SORTS = [("relevance", "Relevance"), ("rating", "Best rated"), ("popularity", "Most enrolled"), ("newest", "Newest")]
FACETS = ("skill", "format", "level", "duration", "language", "rating", "upcoming")


def duration_q(bucket: str) -> Q:
    _, _, low, high = next(d for d in DURATIONS if d[0] == bucket)
    q = Q(course__duration_minutes__gte=low)
    return q & Q(course__duration_minutes__lt=high) if high is not None else q


def rating_q(minimum: int) -> Q:
    # The mean without a division: sum ≥ minimum × count, and only items someone rated.
    return Q(rating_count__gt=0, rating_sum__gte=F("rating_count") * minimum)


def upcoming_sessions():
    return Session.objects.filter(course_id=OuterRef("pk"), starts__gt=timezone.now(), cancelled_at__isnull=True)


class CatalogForm(forms.Form):
    q = forms.CharField(required=False, max_length=200, label="Search courses")
    skill = forms.SlugField(required=False, max_length=200)
    format = forms.ChoiceField(choices=[("", "Any format"), *Course.Format.choices], required=False)
    level = forms.ChoiceField(choices=[("", "Any level"), *Course.Level.choices], required=False)
    duration = forms.ChoiceField(choices=[("", "Any length"), *[(d[0], d[1]) for d in DURATIONS]], required=False)
    language = forms.RegexField(regex=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$", required=False, max_length=16)
    rating = forms.ChoiceField(choices=[("", "Any rating"), *RATINGS], required=False, label="Minimum rating")
    upcoming = forms.BooleanField(required=False, label="Has upcoming sessions")
    sort = forms.ChoiceField(choices=SORTS, required=False)

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())

    def narrow(self, items, *, leave_out: str = ""):
        """``items`` narrowed by every chosen facet but ``leave_out``, so that facet's counts show its other choices."""
        data = self.cleaned_data
        if data["q"]:
            items = items.filter(Q(title__icontains=data["q"]) | Q(summary__icontains=data["q"]))
        if data["skill"] and leave_out != "skill":
            items = items.filter(course__skills__slug=data["skill"])
        for name in ("format", "level", "language"):
            if data[name] and leave_out != name:
                items = items.filter(**{f"course__{name}": data[name]})
        if data["duration"] and leave_out != "duration":
            items = items.filter(duration_q(data["duration"]))
        if data["rating"] and leave_out != "rating":
            items = items.filter(rating_q(int(data["rating"])))
        if data["upcoming"] and leave_out != "upcoming":
            items = items.filter(Exists(upcoming_sessions()))
        return items

    def sorted(self, items):
        from reviews.queries import with_bayes

        sort = self.cleaned_data["sort"] or ("relevance" if self.cleaned_data["q"] else "rating")
        if sort == "relevance" and self.cleaned_data["q"]:
            # Title matches before matches in the summary only, then the better rated.
            title_hit = Case(When(title__icontains=self.cleaned_data["q"], then=Value(1)), default=Value(0))
            return with_bayes(items.annotate(title_hit=title_hit)).order_by("-title_hit", "-bayes", "-pk")
        if sort == "popularity":
            enrolled = Count("course__enrolments", filter=~Q(course__enrolments__state=Enrolment.State.WITHDRAWN))
            return items.annotate(enrolled=enrolled).order_by("-enrolled", "-created", "-pk")
        if sort == "newest":
            return items.order_by("-created", "-pk")
        return with_bayes(items).order_by("-bayes", "-rating_count", "-created", "-pk")


class FeedActionForm(forms.Form):
    action = forms.ChoiceField(choices=[("create", "Create or replace the address"), ("revoke", "Turn the feed off")])
