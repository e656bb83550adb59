from tests.factories import UserFactory

def test_menu(page, login_as, db):
    login_as(UserFactory(username="alexandra", display_name="Alexandra Longname-Example"))
    page.goto("/files/upload/")
    page.get_by_label("Your menu").click()
    page.screenshot(path="/tmp/wc-shots/menu-open-light.png")
    page.emulate_media(color_scheme="dark")
    page.screenshot(path="/tmp/wc-shots/menu-open-dark.png")
