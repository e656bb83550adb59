from django.contrib import admin

from home.models import PeriodicRun


@admin.register(PeriodicRun)
class PeriodicRunAdmin(admin.ModelAdmin):
    list_display = ["job", "user", "last_run"]
    list_filter = ["job"]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]
