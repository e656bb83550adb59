from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.defaultfilters import filesizeformat

from files import services
from files.models import File


@admin.register(File)
class FileAdmin(admin.ModelAdmin):
    """Uploaded files. What was measured from the bytes is read-only: only the upload checks may set it."""

    list_display = ("original_name", "item", "family", "content_type", "file_size", "owner", "deleted")
    list_filter = ("family", "content_type", ("item__deleted_at", admin.EmptyFieldListFilter))
    search_fields = ("original_name", "sha256", "item__title", "item__owner__username")
    list_select_related = ("item__owner",)
    raw_id_fields = ("item",)
    readonly_fields = (
        "item",
        "blob",
        "original_name",
        "content_type",
        "family",
        "size",
        "sha256",
        "thumbnail",
        "width",
        "height",
    )
    actions = ["soft_delete", "restore"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="size", ordering="size")
    def file_size(self, obj):
        return filesizeformat(obj.size)

    @admin.display(description="owner", ordering="item__owner__username")
    def owner(self, obj):
        return obj.item.owner

    @admin.display(description="deleted", boolean=True)
    def deleted(self, obj):
        return obj.item.deleted_at is not None

    @admin.action(description="Delete the selected files (they can be restored)")
    def soft_delete(self, request, queryset):
        self._apply(request, queryset.filter(item__deleted_at__isnull=True), services.delete_file, "Deleted")

    @admin.action(description="Restore the selected deleted files")
    def restore(self, request, queryset):
        self._apply(request, queryset.filter(item__deleted_at__isnull=False), services.restore_file, "Restored")

    def _apply(self, request, queryset, service, verb):
        done = refused = 0
        for detail in queryset.select_related("item__owner", "item__space"):
            try:
                service(item=detail.item, actor=request.user)
            except PermissionDenied:
                refused += 1
            else:
                done += 1
        self.message_user(request, f"{verb} {done} files.", messages.SUCCESS)
        if refused:
            self.message_user(
                request, f"{refused} private files belong to others and were left alone.", messages.WARNING
            )
