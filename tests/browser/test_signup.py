"""Journey: a newcomer signs up, finds themself in the menu, signs out and signs back in."""

from playwright.sync_api import expect

from people.models import User


def open_menu(page):
    page.get_by_label("Your menu").click()
    return page.locator("details.menu")


def test_it_signs_up_signs_out_and_signs_back_in(page, sign_in):
    page.goto("/")
    page.get_by_role("banner").get_by_role("link", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign Up")
    page.get_by_label("Email").fill("nadia@example.com")
    page.get_by_label("Username").fill("nadia")
    page.get_by_label("Password:", exact=True).fill("tea-and-biscuits-42")
    page.get_by_label("Password (again)").fill("tea-and-biscuits-42")
    page.get_by_role("button", name="Sign Up").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, nadia")
    menu = open_menu(page)
    expect(menu.locator(".menu-who")).to_contain_text("nadia")
    expect(menu.get_by_role("link", name="My profile")).to_have_attribute("href", "/people/nadia/")
    assert User.objects.get(username="nadia").email == "nadia@example.com"

    menu.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Learn from the people you work with")
    expect(page.get_by_label("Your menu")).to_have_count(0)

    sign_in("nadia@example.com", "tea-and-biscuits-42")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, nadia")
    expect(open_menu(page).locator(".menu-who")).to_contain_text("@nadia")


def test_it_keeps_the_form_and_explains_when_the_passwords_differ(page):
    page.goto("/accounts/signup/")
    page.get_by_label("Email").fill("nadia@example.com")
    page.get_by_label("Username").fill("nadia")
    page.get_by_label("Password:", exact=True).fill("tea-and-biscuits-42")
    page.get_by_label("Password (again)").fill("coffee-and-cake-42")
    page.get_by_role("button", name="Sign Up").click()

    expect(page.get_by_text("You must type the same password each time.")).to_be_visible()
    expect(page.get_by_label("Username")).to_have_value("nadia")
    assert not User.objects.filter(username="nadia").exists()


def test_it_refuses_a_wrong_password_at_sign_in(page, sign_in, personas):
    page.goto("/accounts/login/")
    page.get_by_label("Login").fill("alice")
    page.get_by_label("Password").fill("not-her-password")
    page.get_by_role("button", name="Sign In").click()

    expect(page.get_by_text("The username and/or password you specified are not correct.")).to_be_visible()
    expect(page.get_by_label("Your menu")).to_have_count(0)
    sign_in("alice")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Alice Learner")
