def _todo(*args, **kwargs):
    raise NotImplementedError


survey_list = survey_create = survey_detail = survey_edit = survey_copy = _todo
question_create = question_edit = question_delete = question_move = _todo
