"""Date and number formats per language, for Django's FORMAT_MODULE_PATH = "jalon.locale.formats"."""
