# rd-territoriale — commandes du projet (GNU make).
#
# Sur une machine neuve, il suffit de python3 (3.11 ou plus), make et git :
# `make reports` et `make test` créent l'environnement virtuel `.venv` s'il
# manque, y installent le projet et déclarent le noyau Jupyter du projet.
#
# Chaque cible publique porte un commentaire `## ` : c'est lui que
# `make help` affiche (à la manière de cookiecutter-data-science).

.DEFAULT_GOAL := help
SHELL := /bin/sh

PYTHON ?= python3
VENV ?= .venv
STUDY ?= data/exemple
LAB_ARGS ?=

KERNEL_NAME := rd-territoriale
KERNEL_DISPLAY := Python (rd-territoriale)

VENV_PY := $(VENV)/bin/python
CLI := $(VENV)/bin/rd-territoriale
# Témoin d'installation : refait dès que pyproject.toml change.
INSTALL_STAMP := $(VENV)/.rd-territoriale-installe
KERNEL_SPEC := $(VENV)/share/jupyter/kernels/$(KERNEL_NAME)/kernel.json

.PHONY: help reports pdf lint format test navigateur browser lab exemple valider validate venv clean distclean

help: ## Affiche cette aide (cible par défaut)
	@echo "rd-territoriale — commandes disponibles :"
	@echo
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_-]+:.*## / {printf "  make %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo
	@echo "Variables utiles : PYTHON=$(PYTHON)  VENV=$(VENV)  STUDY=$(STUDY)"

reports: $(KERNEL_SPEC) ## Construit les rapports HTML (STUDY=data/mon-etude : dans reports/mon-etude/)
	$(CLI) build --study $(STUDY)

lint: $(INSTALL_STAMP) ## Vérifie le style et la mise en forme (ruff), les couches (import-linter) et les types du bas (mypy)
	$(VENV)/bin/ruff check src tests benchmarks notebooks
	$(VENV)/bin/ruff format --check src tests benchmarks notebooks
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

format: $(INSTALL_STAMP) ## Met en forme le code, les tests et les carnets (ruff format), puis range les imports
	$(VENV)/bin/ruff format src tests benchmarks notebooks
	$(VENV)/bin/ruff check --select I --fix src tests benchmarks notebooks

pdf: $(KERNEL_SPEC) ## Construit les rapports et une copie PDF de chacun (Chromium requis)
	$(CLI) build --study $(STUDY) --pdf

test: navigateur $(KERNEL_SPEC) ## Lance tous les tests (pytest)
	$(VENV_PY) -m pytest -n auto

# tests/build/test_browser.py ouvre chaque rapport dans le Chromium de Debian (jamais
# « playwright install ») : installé avec apt-get s'il manque et que l'on est
# root ; sinon, arrêt avec ce qu'il faut installer. CHROMIUM=/chemin/vers/chromium
# en désigne un autre (le test le lit aussi).
navigateur: ## Vérifie que Chromium (navigateur des tests) est là ; l'installe avec apt-get en root
	@if [ -n "$(CHROMIUM)" ]; then \
	  command -v "$(CHROMIUM)" >/dev/null 2>&1 || { \
	    echo "Erreur : CHROMIUM=$(CHROMIUM) est introuvable ou n'est pas exécutable." >&2; exit 1; }; \
	elif command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then \
	  :; \
	elif [ "$$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installation de Chromium (navigateur des tests) avec apt-get…"; \
	  { DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium && \
	    { command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; }; } || { \
	    echo "Erreur : l'installation de Chromium avec apt-get a échoué (voir ci-dessus)." >&2; \
	    echo "Les tests ouvrent chaque rapport dans Chromium : installez-le (apt-get install chromium)." >&2; \
	    exit 1; }; \
	else \
	  echo "Erreur : Chromium est introuvable. Les tests ouvrent chaque rapport dans ce navigateur." >&2; \
	  echo "Installez-le, puis relancez make test :" >&2; \
	  echo "  sous Debian : sudo apt-get install chromium" >&2; \
	  echo "  ailleurs : installez Chromium, puis make test CHROMIUM=/chemin/vers/chromium" >&2; \
	  exit 1; \
	fi

browser: navigateur ## Alias anglais de « navigateur »

lab: $(KERNEL_SPEC) ## Ouvre JupyterLab avec le noyau « Python (rd-territoriale) »
	$(VENV)/bin/jupyter lab $(LAB_ARGS)

exemple: $(INSTALL_STAMP) ## Régénère le cas d'exemple synthétique dans data/exemple
	$(CLI) exemple

valider: $(INSTALL_STAMP) ## Valide les données d'une étude (STUDY=data/exemple par défaut)
	$(CLI) validate $(STUDY)

validate: valider ## Alias anglais de « valider »

venv: $(KERNEL_SPEC) ## Crée ou met à jour l'environnement .venv (fait automatiquement)

clean: ## Supprime les rapports construits, les fichiers de travail et les caches
	rm -rf .build .pytest_cache
	[ ! -d reports ] || find reports -mindepth 1 ! -name .gitkeep -exec rm -rf {} +
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -exec rm -rf {} +
	find . -path ./$(VENV) -prune -o -type d -name .ipynb_checkpoints -exec rm -rf {} +
	rm -rf data/*/processed

distclean: clean ## Comme clean, et supprime aussi l'environnement .venv
	rm -rf $(VENV)

# --- Environnement ---------------------------------------------------------

# Vérifie la version de Python avant de créer l'environnement ; en cas
# d'échec de `venv` (module ensurepip absent), ne laisse pas de .venv à moitié
# créé derrière soi.
$(VENV_PY):
	@command -v $(PYTHON) >/dev/null 2>&1 || { \
	  echo "Erreur : « $(PYTHON) » est introuvable. Installez Python 3.11 ou plus récent," >&2; \
	  echo "ou indiquez l'interpréteur à utiliser : make PYTHON=/chemin/vers/python3.11 ..." >&2; \
	  exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' >/dev/null 2>&1 || { \
	  echo "Erreur : rd-territoriale demande Python 3.11 ou plus récent ;" >&2; \
	  echo "« $(PYTHON) » est en version : $$($(PYTHON) --version 2>&1)." >&2; \
	  echo "Installez une version récente, puis relancez avec : make PYTHON=python3.11 ..." >&2; \
	  exit 1; }
	@echo "Création de l'environnement virtuel $(VENV) avec $$($(PYTHON) --version 2>&1)…"
	@$(PYTHON) -m venv $(VENV) || { \
	  rm -rf $(VENV); \
	  echo "Erreur : impossible de créer $(VENV) (module venv ou ensurepip absent ?)." >&2; \
	  echo "Sous Debian ou Ubuntu : sudo apt-get install python3-venv" >&2; \
	  exit 1; }

$(INSTALL_STAMP): pyproject.toml | $(VENV_PY)
	@echo "Installation du projet et de ses dépendances dans $(VENV)…"
	$(VENV_PY) -m pip install --quiet --upgrade pip
	$(VENV_PY) -m pip install --quiet -e '.[dev]'
	@touch $@

$(KERNEL_SPEC): $(INSTALL_STAMP)
	$(VENV_PY) -m ipykernel install --sys-prefix --name $(KERNEL_NAME) --display-name "$(KERNEL_DISPLAY)"
	@touch $@
