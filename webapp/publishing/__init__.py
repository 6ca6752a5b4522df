"""What leaves the server as files, for operators and staff: the static export and its nginx configuration."""
