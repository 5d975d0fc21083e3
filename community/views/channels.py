"""Community channel pages."""

from django.utils.translation import gettext_lazy as _

from community.filters import ChannelFilter
from community.selectors.channels import channel_detail, channel_list

from .base import CatalogueDetailView, CatalogueListView


class ChannelListView(CatalogueListView):
    filterset_class = ChannelFilter
    selector = staticmethod(channel_list)
    template_name = "community/channel_list.html"
    section = "channels"
    title = _("Channels")


class ChannelDetailView(CatalogueDetailView):
    selector = staticmethod(channel_detail)
    template_name = "community/channel_detail.html"
    context_object_name = "channel"
    section = "channels"
