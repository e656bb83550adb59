"""Forms of the catalogue's pages: the browse filters (a filter set: it narrows a queryset), a learner's report of
completing a course, and the calendar feed."""

from collections.abc import Collection

from django import forms
from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
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

    def narrow(self, items, *, leave_out: str | Collection[str] = ()):
        """``items`` narrowed by every chosen facet but those in ``leave_out`` (one name or several), so a left-out
        facet's counts show its other choices."""
        left = {leave_out} if isinstance(leave_out, str) else set(leave_out)
        data = self.cleaned_data
        if data["q"]:
            items = items.filter(Q(title__icontains=data["q"]) | Q(summary__icontains=data["q"]))
        if data["skill"] and "skill" not in left:
            items = items.filter(course__skills__slug=data["skill"])
        for name, condition in self.column_conditions().items():
            if name not in left:
                items = items.filter(condition)
        if data["upcoming"] and "upcoming" not in left:
            items = items.filter(Exists(upcoming_sessions()))
        return items

    def column_conditions(self) -> dict[str, Q]:
        """The chosen facets that test a course's own columns (format, level, language, duration, rating), each as
        a condition: the facet counts filter by them one at a time."""
        data = self.cleaned_data
        conditions = {
            name: Q(**{f"course__{name}": data[name]}) for name in ("format", "level", "language") if data[name]
        }
        if data["duration"]:
            conditions["duration"] = duration_q(data["duration"])
        if data["rating"]:
            conditions["rating"] = rating_q(int(data["rating"]))
        return conditions

    def sorted(self, items):
        from reviews.queries import with_bayes

        sort = self.cleaned_data["sort"] or ("relevance" if self.cleaned_data["q"] else "rating")
        if sort == "relevance" and self.cleaned_data["q"]:
            # Title matches before matches in the summary only, then the better rated.
            title_hit = Case(When(title__icontains=self.cleaned_data["q"], then=Value(1)), default=Value(0))
            return with_bayes(items.annotate(title_hit=title_hit)).order_by("-title_hit", "-bayes", "-pk")
        if sort == "popularity":
            # A count per course from the (course, state) index: joining and grouping every enrolment of every
            # course, with the item's columns, cost four times as much at 660,000 enrolments.
            taken = (
                Enrolment.objects.filter(course_id=OuterRef("pk"))
                .exclude(state=Enrolment.State.WITHDRAWN)
                .order_by()
                .values("course_id")
                .annotate(n=Count("*"))
                .values("n")
            )
            enrolled = Coalesce(Subquery(taken, output_field=IntegerField()), Value(0))
            return items.annotate(enrolled=enrolled).order_by("-enrolled", "-created", "-pk")
        if sort == "newest":
            return items.order_by("-created", "-pk")
        return with_bayes(items).order_by("-bayes", "-rating_count", "-created", "-pk")


class CompletionReportForm(forms.Form):
    """A learner says they completed a course. ``catalog.services.self_report_completion`` checks the evidence
    (some words, a web address, or both), so the page and the API refuse the same things."""

    evidence = forms.CharField(
        required=False,
        max_length=5000,
        label="How you completed it",
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "Where and when you took it, what you made"}),
    )
    evidence_url = forms.CharField(
        required=False,
        max_length=500,
        label="Link to a certificate or other evidence",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )


class FeedActionForm(forms.Form):
    action = forms.ChoiceField(choices=[("create", "Create or replace the address"), ("revoke", "Turn the feed off")])
