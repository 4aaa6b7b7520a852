"""`shadowai scan gcp`: AI APIs, Vertex AI resources and AI API usage in the Google Cloud projects the
credentials can see."""
