import parsoc


def site(request):
    return {"parsoc_version": parsoc.__version__}
