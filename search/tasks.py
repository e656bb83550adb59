from django_tasks import task


@task()
def reindex(kind: str, pk: int) -> None:
    from core.models import Item
    from people.models import User
    from search import index
    from spaces.models import Space

    model, fn = {
        "item": (Item, index.index_item),
        "person": (User, index.index_person),
        "space": (Space, index.index_space),
    }[kind]
    from lib.pagecache import content_changed

    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        from search.models import SearchDocument

        SearchDocument.objects.filter(**{kind: pk}).delete()
    else:
        fn(obj)
    content_changed()  # search pages kept in the page cache must see the new document
