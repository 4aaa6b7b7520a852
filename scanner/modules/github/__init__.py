"""`shadowai scan github`: GitHub App installations, Copilot seats and SAML-authorised credentials of an
organisation, as OAuth grants matched against the catalogue."""
