"""Routes of the Receivables API (`/sandbox/receivables`); endpoints come with their features."""

urlpatterns: list = []
