# Govern: one image for the portal, the scheduler and Celery workers (choose with CMD).
FROM python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home govern
WORKDIR /opt/govern
COPY . /opt/govern
RUN pip install --no-cache-dir /opt/govern
USER govern
ENV GOVERN_DATA_DIR=/var/lib/govern
VOLUME /var/lib/govern
EXPOSE 8000
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
CMD ["govern", "serve", "--host", "0.0.0.0", "--port", "8000"]
