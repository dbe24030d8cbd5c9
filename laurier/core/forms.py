"""Form helpers shared by every app."""


def add_service_errors(form, error):
    """Show a service's ValidationError on the form, on the fields it names when it has them.

    Services re-check every rule; when one refuses, the person sees why next to the field.
    """
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
