app_name = "catalog-io"

urlpatterns: list = []
