def _todo(*args, **kwargs):
    raise NotImplementedError


campaign_list = campaign_create = campaign_detail = campaign_rate = _todo
campaign_remind = campaign_close = _todo
