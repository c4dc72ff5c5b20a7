"""Pages and pieces shared by every domain: the layout, the home page, error pages."""
