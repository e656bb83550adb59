from django.contrib import admin
from django.db.models import Count

from core.models import Activity, Item, Notification, NotificationPreference, SiteConfig, Tag, Watch


class DeletedFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("alive", "Live"), ("deleted", "Deleted")]

    def queryset(self, request, queryset):
        if self.value() == "alive":
            return queryset.filter(deleted_at__isnull=True)
        if self.value() == "deleted":
            return queryset.filter(deleted_at__isnull=False)
        return queryset


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "owner", "space", "visibility", "created", "deleted_at")
    list_filter = ("kind", "visibility", DeletedFilter, ("tags", admin.RelatedOnlyFieldListFilter))
    search_fields = ("title", "summary", "owner__username", "owner__display_name")
    raw_id_fields = ("owner", "space", "shared_with")
    autocomplete_fields = ("tags",)
    readonly_fields = ("kind", "created", "updated", "rating_count", "rating_sum")
    list_select_related = ("owner", "space")
    date_hierarchy = "created"


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    """The record of what people did: read-only, as the learning record and analytics rely on it."""

    list_display = ("created", "actor", "verb", "item", "space", "target")
    list_filter = ("verb",)
    search_fields = ("actor__username", "item__title", "space__name")
    raw_id_fields = ("actor", "item", "space", "target")
    list_select_related = ("actor", "item", "space", "target")
    date_hierarchy = "created"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "item_count")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(item_count=Count("items"))

    @admin.display(ordering="item_count", description="items")
    def item_count(self, obj):
        return obj.item_count


@admin.register(Watch)
class WatchAdmin(admin.ModelAdmin):
    list_display = ("user", "space", "item", "created")
    search_fields = ("user__username", "space__name", "item__title")
    raw_id_fields = ("user", "space", "item")
    list_select_related = ("user", "space", "item")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("recipient", "kind", "created", "read_at", "emailed_at", "digest_pending")
    list_filter = ("kind", "digest_pending")
    search_fields = ("recipient__username",)
    raw_id_fields = ("recipient", "activity")
    list_select_related = ("recipient",)
    date_hierarchy = "created"


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "channel")
    list_filter = ("kind", "channel")
    search_fields = ("user__username",)
    raw_id_fields = ("user",)
    list_select_related = ("user",)


@admin.register(SiteConfig)
class SiteConfigAdmin(admin.ModelAdmin):
    """The single settings row: it can be changed but never removed or duplicated."""

    list_display = ("name", "signup_mode", "public_web")

    def has_add_permission(self, request):
        return not SiteConfig.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
