from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from sdelka.accounts.models import Team, User


@admin.register(User)
class SdelkaUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("Sdelka", {"fields": ("role", "team", "phone")}))
    list_display = ("username", "first_name", "last_name", "role", "team", "is_active")
    list_filter = ("role", "team", "is_active")


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "head")
