import json
import os

from oauth2_provider.oauth2_validators import OAuth2Validator


class EmailValidator(OAuth2Validator):
    """Claims an identity provider vouches for: the address (verified, unless the test's
    configuration says otherwise; ``serve.py``) and the name."""

    def get_additional_claims(self, request):
        user = request.user
        verified = json.loads(os.environ["OIDC_PROVIDER_EMAIL_VERIFIED"]).get(user.username, True)
        claims = {
            "email": user.email,
            "given_name": user.first_name,
            "family_name": user.last_name,
        }
        if verified is not None:
            claims["email_verified"] = verified
        return claims
