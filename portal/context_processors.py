from portal import navigation


def navigation_menu(request):
    user = getattr(request, "user", None)
    if user is None:
        return {"nav_items": []}
    current = request.path
    return {
        "nav_items": [
            {
                "label": label,
                "url": url,
                "current": url == current or (url != "/" and current.startswith(url)),
            }
            for label, url in navigation.entries_for(user)
        ]
    }
