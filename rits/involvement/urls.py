
app_name = "involvement"

urlpatterns: list = []
