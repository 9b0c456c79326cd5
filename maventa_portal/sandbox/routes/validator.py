"""Routes of the Validator API (`/sandbox/validator`); endpoints come with their features."""

urlpatterns: list = []
