from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "People and skills"

    def ready(self):
        from allauth.account.signals import user_signed_up

        from people.signals import apply_invitation, index_new_person

        user_signed_up.connect(apply_invitation, dispatch_uid="people.apply_invitation")
        user_signed_up.connect(index_new_person, dispatch_uid="people.index_new_person")
