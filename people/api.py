"""People and skills over the API: the directory, profiles (your own editable), the skills taxonomy."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import File, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from core.access import get_visible_or_404
from people import queries, services
from people.models import PersonSkill, Site, Skill, User

router = Router()
skills_router = Router()
REQUIRED_FILE = File(...)


class SiteOut(Schema):
    id: int
    name: str
    country: str
    time_zone: str


class PersonSkillOut(Schema):
    id: int
    skill: str
    skill_name: str
    direction: str
    level: int

    @staticmethod
    def resolve_skill(obj):
        return obj.skill.slug

    @staticmethod
    def resolve_skill_name(obj):
        return obj.skill.name


class PersonOut(Schema):
    username: str
    name: str
    display_name: str
    job_title: str
    department: str
    site: SiteOut | None
    location: str
    time_zone: str
    languages: list[str]
    bio: str
    interests: str
    photo_url: str | None
    url: str
    skills: list[PersonSkillOut]

    @staticmethod
    def resolve_photo_url(obj):
        return reverse("people:photo", args=[obj.username]) if obj.photo_thumb else None

    @staticmethod
    def resolve_url(obj):
        return obj.get_absolute_url()

    @staticmethod
    def resolve_skills(obj):
        return list(obj.skills.all())


class ProfileIn(Schema):
    display_name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    job_title: str | None = None
    department: str | None = None
    site: int | None = None
    location: str | None = None
    time_zone: str | None = None
    languages: list[str] | None = None
    bio: str | None = None
    interests: str | None = None


class PersonSkillIn(Schema):
    skill: str
    direction: PersonSkill.Direction = PersonSkill.Direction.HAS
    level: int = PersonSkill.Level.PRACTITIONER


class SkillRef(Schema):
    slug: str
    name: str


class SkillOut(Schema):
    slug: str
    name: str
    parent: SkillRef | None
    depth: int
    alt_labels: list[str]
    description: str
    uri: str
    url: str

    @staticmethod
    def resolve_alt_labels(obj):
        return obj.alt_label_list

    @staticmethod
    def resolve_url(obj):
        return obj.get_absolute_url()


class ExpertOut(Schema):
    username: str
    name: str
    job_title: str
    level: int
    url: str

    @staticmethod
    def resolve_level(obj):
        return obj.match_level

    @staticmethod
    def resolve_url(obj):
        return obj.get_absolute_url()


class SkillDetailOut(SkillOut):
    broader: list[SkillRef]
    narrower: list[SkillRef]
    experts: list[ExpertOut]
    learners: list[ExpertOut]


def _me(request) -> User:
    return User.objects.select_related("site").prefetch_related("skills__skill").get(pk=request.user.pk)


def _skill_or_400(text: str) -> Skill:
    skill = queries.resolve_skill(text)
    if skill is None:
        raise HttpError(400, f"There is no skill called “{text}”.")
    return skill


# /api/people/


@router.get("", response=list[PersonOut])
@paginate(LimitOffsetPagination)
def list_people(
    request,
    q: str = "",
    skill: str = "",
    direction: str = "",
    location: str = "",
    department: str = "",
    time_zone: str = "",
    site: int | None = None,
):
    """The directory. With ``skill`` (name or slug) and ``direction=teaches``: find an expert, best first."""
    if direction and direction not in PersonSkill.Direction.values:
        raise HttpError(400, "direction must be has, wants or teaches.")
    return queries.directory(
        request.user,
        q=q.strip()[:100],
        skill=_skill_or_400(skill) if skill.strip() else None,
        direction=direction,
        location=location.strip()[:120],
        department=department,
        time_zone=time_zone,
        site=get_object_or_404(Site, pk=site) if site is not None else None,
    )


@router.get("/me", response=PersonOut)
def get_me(request):
    return _me(request)


@router.patch("/me", response=PersonOut)
def update_me(request, payload: ProfileIn):
    """Change your own profile; fields you leave out stay as they are (``site: null`` clears it)."""
    given = payload.model_dump(exclude_unset=True)
    changes = {k: v for k, v in given.items() if k != "site" and v is not None}
    if "site" in given:
        changes["site"] = get_object_or_404(Site, pk=given["site"]) if given["site"] is not None else None
    services.update_profile(person=request.user, **changes)
    return _me(request)


@router.post("/me/photo", response=PersonOut)
def set_my_photo(request, photo: UploadedFile = REQUIRED_FILE):
    services.set_photo(person=request.user, upload=photo)
    return _me(request)


@router.delete("/me/photo", response={204: None})
def delete_my_photo(request):
    services.clear_photo(person=request.user)
    return Status(204, None)


@router.post("/me/skills", response={201: PersonSkillOut})
def add_my_skill(request, payload: PersonSkillIn):
    """Add a skill (by name, other name or slug) to your profile, or change its level."""
    person_skill = services.add_person_skill(
        person=request.user, skill=_skill_or_400(payload.skill), direction=payload.direction, level=payload.level
    )
    return Status(201, person_skill)


@router.delete("/me/skills/{person_skill_id}", response={204: None})
def remove_my_skill(request, person_skill_id: int):
    person_skill = get_object_or_404(PersonSkill, pk=person_skill_id, person=request.user)
    services.remove_person_skill(person=request.user, person_skill=person_skill)
    return Status(204, None)


@router.get("/{username}", response=PersonOut)
def get_person(request, username: str):
    return get_visible_or_404(
        request.user, User.objects.select_related("site").prefetch_related("skills__skill"), username=username
    )


# /api/skills/


@skills_router.get("", response=list[SkillOut])
@paginate(LimitOffsetPagination)
def list_skills(request, q: str = "", parent: str = ""):
    """Search the taxonomy by name or other name; ``parent`` (a slug) lists the skills under one."""
    skills = Skill.objects.select_related("parent")
    skills = skills.matching(q[:200]) if q.strip() else skills.order_by("depth", "name", "pk")
    if parent:
        skills = skills.filter(parent__slug=parent)
    return skills


@skills_router.get("/{slug}", response=SkillDetailOut)
def get_skill(request, slug: str):
    """A skill with its broader and narrower skills, who can teach it (best first) and who wants it."""
    skill = get_object_or_404(Skill.objects.select_related("parent"), slug=slug)
    skill.broader = queries.skill_ancestors(skill)
    skill.narrower = list(skill.children.order_by("name")[:100])
    skill.experts = list(queries.experts(request.user, skill)[:20])
    skill.learners = list(queries.learners(request.user, skill)[:20])
    return skill
