from oauth2_provider.oauth2_validators import OAuth2Validator


class EmailValidator(OAuth2Validator):
    """Claims an identity provider vouches for: the address (verified) and the name."""

    def get_additional_claims(self, request):
        user = request.user
        return {
            "email": user.email,
            "email_verified": True,
            "given_name": user.first_name,
            "family_name": user.last_name,
        }
