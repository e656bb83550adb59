from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render

from core.access import get_visible_or_404
from core.models import Item


@login_required
def upload(request):
    return render(request, "files/upload.html", {})


def download(request, pk):
    item = get_visible_or_404(request.user, Item.objects.select_related("file"), pk=pk, kind="file")
    return FileResponse(item.file.blob.open("rb"), as_attachment=True, filename=item.file.original_name)


def thumbnail(request, pk):
    item = get_visible_or_404(request.user, Item.objects.select_related("file"), pk=pk, kind="file")
    if not item.file.thumbnail:
        raise Http404
    return FileResponse(item.file.thumbnail.open("rb"), content_type="image/jpeg")


def file_item(request, item):
    return render(request, "files/file.html", {"item": item, "file": item.file})
