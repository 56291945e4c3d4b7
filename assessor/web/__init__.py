"""The web application: factory, configuration and blueprints cut by what users do."""
