"""Who may change training results: ONE declaration per operation, read by the admin and the API.

The admin (training/admin.py: the "Start reference runs" page and the sweep and run actions) and the
API (training/api/views.py) both look an operation up here, so the two can never ask for different
permissions. Both also require a staff account, as the admin site itself does.
"""

OPERATION_PERMISSIONS: dict[str, str] = {
    # A new sweep: the admin's start page and re-run action, POST /api/v1/sweeps/.
    "start": "training.add_sweep",
    "rerun": "training.add_sweep",
    # Changes to an existing sweep: the admin's actions, POST /api/v1/sweeps/{id}/cancel|publish/.
    "cancel": "training.change_sweep",
    "publish": "training.change_sweep",
    # The runs admin's "Cancel the selected runs".
    "cancel_run": "training.change_trainingrun",
}


def may(user, operation: str) -> bool:
    """True when `user` is active staff holding the permission `operation` needs (superusers hold all).

    An operation not declared above is refused: a new write must be declared before anyone may do it.
    """
    permission = OPERATION_PERMISSIONS.get(operation)
    return bool(
        permission and user is not None and user.is_active and user.is_staff and user.has_perm(permission)
    )
