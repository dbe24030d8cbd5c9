def _todo(*args, **kwargs):
    raise NotImplementedError


my_profile = my_profile_edit = profile_history = _todo
