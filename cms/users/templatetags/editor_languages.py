"""``{% editor_languages_script %}``: the signed-in editor's language order, for the edit forms.

Wagtail's ``insert_editor_js`` hooks are called without the request (the
``hook_output`` tag takes no context), so a hook cannot tell a Czech editor
from a Slovak one. This tag can: ``cms/users/templates/wagtailadmin/generic/form.html``
adds it to the script block of every page and snippet create/edit form, after
wagtail-modeltranslation's own settings, which the script then adjusts.
"""

from django import template
from django.templatetags.static import static
from django.utils.html import format_html, json_script

from cms.users.editor_languages import editor_languages

register = template.Library()

#: The id of the JSON element ``editor_languages.js`` reads.
ELEMENT_ID = "cms-editor-languages"


@register.simple_tag(takes_context=True)
def editor_languages_script(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    return format_html(
        '{}<script src="{}"></script>',
        json_script(editor_languages(user).as_dict(), ELEMENT_ID),
        static("cms_users/js/editor_languages.js"),
    )
