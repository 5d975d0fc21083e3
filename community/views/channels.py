"""Community channel pages."""

from django.utils.translation import gettext_lazy as _

from community.selectors import channels

from .base import kind_pages

ChannelListView, ChannelDetailView = kind_pages("channel", channels, title=_("Channels"))
