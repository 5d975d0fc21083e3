# One image for web, worker and beat. GPU workers use the same image on a host with the NVIDIA runtime;
# PyPI's Linux torch wheel is the CUDA build, so the image installs it as is.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=config.settings.production
WORKDIR /app
COPY pyproject.toml README.md ./
COPY config ./config
COPY community ./community
COPY training ./training
RUN pip install --no-cache-dir -e '.[train]'
COPY . .
RUN SECRET_KEY=build ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput
RUN useradd --create-home app && mkdir -p /app/var && chown -R app /app/var
USER app
EXPOSE 8000
# Workers and the garbage collector's settings: gunicorn.conf.py, read from this directory.
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000"]
