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

.PHONY: help reports test lab exemple valider validate venv clean distclean

help: ## Affiche cette aide (cible par défaut)
	@echo "rd-territoriale — commandes disponibles :"
	@echo
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_-]+:.*## / {printf "  make %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo
	@echo "Variables utiles : PYTHON=$(PYTHON)  VENV=$(VENV)  STUDY=$(STUDY)"

reports: $(KERNEL_SPEC) ## Construit les rapports HTML dans reports/ (ouvrir reports/index.html)
	$(CLI) build

test: $(KERNEL_SPEC) ## Lance tous les tests (pytest)
	$(VENV_PY) -m pytest

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
