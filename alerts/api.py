"""The alerts API for the signed-in user (/api/v1/follows/, /api/v1/saved-searches/,
/api/v1/calendar/): each lists, creates and deletes only the requester's own rows; someone else's
id answers 404 like an id that does not exist. Anonymous requests get 401."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api.patterns import ID_PATTERN, SLUG_PATTERN

from . import selectors
from .models import FOLLOW_KINDS, Follow, SavedSearch
from .services.calendar import calendar_token_create, calendar_token_revoke
from .services.follows import follow_create, saved_search_create


class FollowSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(
        choices=FOLLOW_KINDS, help_text="What is followed: venue, funding or topic."
    )
    slug = serializers.RegexField(rf"^{SLUG_PATTERN}$", max_length=120, help_text="The followed item's slug.")
    name = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Follow
        fields = ["id", "kind", "slug", "name", "url", "created_at"]
        read_only_fields = ["id", "created_at"]

    def to_representation(self, instance: Follow) -> dict:
        target = instance.target
        return {
            "id": instance.pk,
            "kind": instance.kind,
            "slug": target.slug,
            "name": getattr(target, "name", None) or target.title,
            "url": target.get_absolute_url(),
            "created_at": serializers.DateTimeField().to_representation(instance.created_at),
        }

    def get_name(self, instance) -> str:  # for the schema; to_representation fills it
        return ""

    def get_url(self, instance) -> str:
        return ""


@extend_schema_view(
    list=extend_schema(summary=_("List what you follow")),
    destroy=extend_schema(summary=_("Stop following")),
)
class FollowViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """The venues, funding calls and topics the signed-in user follows. POST is idempotent: following
    something again answers 200 with the existing follow."""

    serializer_class = FollowSerializer
    permission_classes = [IsAuthenticated]
    lookup_value_regex = ID_PATTERN

    def get_queryset(self):
        return selectors.follows_of(self.request.user).order_by("-created_at", "-pk")

    @extend_schema(
        summary=_("Follow a venue, funding call or topic"),
        responses={201: FollowSerializer, 200: FollowSerializer},
    )
    def create(self, request, *args, **kwargs) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        follow, created = follow_create(user=request.user, **serializer.validated_data)
        return Response(
            FollowSerializer(follow).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


class SavedSearchSerializer(serializers.ModelSerializer):
    address = serializers.CharField(
        write_only=True,
        max_length=1000,
        help_text="A list page's address with its filters, e.g. /papers/?topic=transformers.",
    )
    url = serializers.CharField(read_only=True, help_text="The list page with the saved filters.")

    class Meta:
        model = SavedSearch
        fields = ["id", "name", "address", "path", "query", "url", "created_at"]
        read_only_fields = ["id", "path", "query", "url", "created_at"]


@extend_schema_view(
    list=extend_schema(summary=_("List your saved searches")),
    create=extend_schema(summary=_("Save a search")),
    destroy=extend_schema(summary=_("Delete a saved search")),
)
class SavedSearchViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """The signed-in user's saved searches (a list page and its filters, named). Each has an Atom feed
    under the private calendar address: /calendar/<key>/searches/<id>.atom."""

    serializer_class = SavedSearchSerializer
    permission_classes = [IsAuthenticated]
    lookup_value_regex = ID_PATTERN

    def get_queryset(self):
        return selectors.saved_searches_of(self.request.user)

    def perform_create(self, serializer) -> None:
        data = serializer.validated_data
        serializer.instance = saved_search_create(
            user=self.request.user, name=data["name"], address=data["address"]
        )


class CalendarSerializer(serializers.Serializer):
    exists = serializers.BooleanField(help_text="Whether the user has a calendar address.")
    created_at = serializers.DateTimeField(allow_null=True)
    last_used = serializers.DateTimeField(allow_null=True)
    url = serializers.CharField(
        allow_null=True,
        help_text="The private calendar address: only in the answer to the POST that made it (only a hash is kept).",
    )


class CalendarView(APIView):
    """The signed-in user's private calendar address: GET says whether there is one, POST makes a new
    one (the old one stops working) and returns it once, DELETE revokes it."""

    permission_classes = [IsAuthenticated]
    serializer_class = CalendarSerializer

    def _body(self, request, url: str | None = None) -> dict:
        token = selectors.calendar_token_of(request.user)
        return {
            "exists": token is not None,
            "created_at": token and token.created_at,
            "last_used": token and token.last_used,
            "url": url,
        }

    @extend_schema(summary=_("Say whether you have a calendar address"), responses=CalendarSerializer)
    def get(self, request) -> Response:
        return Response(CalendarSerializer(self._body(request)).data)

    @extend_schema(
        summary=_("Make a new calendar address"), request=None, responses={201: CalendarSerializer}
    )
    def post(self, request) -> Response:
        key = calendar_token_create(user=request.user)
        url = request.build_absolute_uri(reverse("alerts:calendar", args=[key]))
        return Response(CalendarSerializer(self._body(request, url)).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Revoke your calendar address"),
        responses={204: OpenApiResponse(description=_("Revoked (or there was none)."))},
    )
    def delete(self, request) -> Response:
        calendar_token_revoke(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


routes = [
    ("follows", FollowViewSet, "follow"),
    ("saved-searches", SavedSearchViewSet, "saved-search"),
]
paths = [path("calendar/", CalendarView.as_view(), name="calendar")]
