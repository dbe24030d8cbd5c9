"""Surveys: the editor, campaigns with personal links, answering, results and the mentor voice.

Bigger than the other apps, so its services, selectors, forms and views are packages with one
module per part (editing, campaigns, answers, results, voice) instead of single files.
"""
