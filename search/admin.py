from django.contrib import admin

from search.models import SearchDocument


@admin.register(SearchDocument)
class SearchDocumentAdmin(admin.ModelAdmin):
    """Read-only: documents follow their subjects; `manage.py reindex` rebuilds them."""

    list_display = ["title", "kind", "updated"]
    list_filter = ["kind"]
    search_fields = ["title"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
