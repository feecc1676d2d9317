(** General relabeling of units through a free slot, at constant F (generalizes
    new:buffer-permutation's single transposition, Permutation.v).

    A move (s, d) with θ_d = 0 is two straight segments: copy row s into row d (a
    free-row segment: only row d, whose coefficient is 0, moves), then transfer the
    coefficient (θ_s, 0) ↦ (0, θ_s) at identical rows (ll:buffer-transfer). F is constant
    along every legal move list ([moves_F_const]). A transposition (u v) through a buffer
    unit b with θ_b = 0 is the 3 moves u → b, v → u, b → v; a permutation given as a
    product of transpositions τ_1 ∘ … ∘ τ_n of units other than b takes 3n moves
    ([perm_moves_length]), after which θ is θ ∘ σ and every row but the buffer's is
    W ∘ σ; one last free-row segment puts the buffer row back, so the path ends exactly at
    the permuted model (W ∘ σ, θ ∘ σ) ([relabel]). (Every permutation of the non-buffer
    units is such a product; that decomposition itself is not part of the proof.) *)
Require Import Reals Lra Lia List FunctionalExtensionality.
Require Import RL.Sums RL.Model RL.Statements RL.Permutation RL.Paths.
Import ListNotations.
Open Scope R_scope.

(** A move (s, d): the unit s moves into the free unit d. *)
Definition do_move (p : param) (x : nat * nat) : param :=
  (transfer_W 1 (fst p) (fst x) (snd x), transfer_th 1 (snd p) (fst x) (snd x)).
Definition copy_pt (p : param) (x : nat * nat) : param :=
  (transfer_W 1 (fst p) (fst x) (snd x), snd p).

Fixpoint run_moves (p : param) (ms : list (nat * nat)) : param :=
  match ms with
  | nil => p
  | x :: rest => run_moves (do_move p x) rest
  end.

(** The vertices: for each move, the copied row, then the transferred coefficient. *)
Fixpoint move_path (p : param) (ms : list (nat * nat)) : list param :=
  match ms with
  | nil => nil
  | x :: rest => copy_pt p x :: do_move p x :: move_path (do_move p x) rest
  end.

Fixpoint legal (m : nat) (p : param) (ms : list (nat * nat)) : Prop :=
  match ms with
  | nil => True
  | x :: rest =>
      (fst x < m)%nat /\ (snd x < m)%nat /\ fst x <> snd x /\ snd p (snd x) = 0 /\
      legal m (do_move p x) rest
  end.

Lemma run_moves_app p ms1 ms2 : run_moves p (ms1 ++ ms2) = run_moves (run_moves p ms1) ms2.
Proof. revert p. induction ms1 as [|x r IH]; intros p; [reflexivity|]. apply IH. Qed.

Lemma legal_app m p ms1 ms2 :
  legal m p ms1 -> legal m (run_moves p ms1) ms2 -> legal m p (ms1 ++ ms2).
Proof.
  revert p. induction ms1 as [|x r IH]; intros p; [simpl; auto|].
  intros (H1 & H2 & H3 & H4 & H5) H6. simpl. repeat split; auto.
Qed.

Lemma move_path_last p ms : last (move_path p ms) p = run_moves p ms.
Proof.
  revert p. induction ms as [|x r IH]; intros p; [reflexivity|]. simpl move_path.
  rewrite !last_cons_app. apply IH.
Qed.

(** One move keeps F, at every point of its two segments. *)
Lemma move_F N d m X Y ell kappa p x :
  (fst x < m)%nat -> (snd x < m)%nat -> fst x <> snd x -> snd p (snd x) = 0 ->
  along (fun q => Fp N d m X Y ell kappa q = Fp N d m X Y ell kappa p) p
    [copy_pt p x; do_move p x].
Proof.
  destruct p as [W th], x as [s dd]. simpl. intros Hs Hd Hsd H0. split; [|split].
  - intros t _. apply free_seg_F. intros i Hi. simpl. unfold transfer_W.
    destruct (Nat.eqb_spec i dd); [left; subst; exact H0|right; reflexivity].
  - intros t Ht. unfold copy_pt, do_move, seg, Fp. simpl. rewrite wlin_same.
    assert (E : thlin t th (transfer_th 1 th s dd) = transfer_th t th s dd).
    { unfold thlin, transfer_th. extensionality i.
      destruct (Nat.eqb_spec i dd); [subst; rewrite H0; ring|].
      destruct (Nat.eqb_spec i s); [subst|]; ring. }
    rewrite E. apply F_transfer; auto.
  - unfold do_move, Fp. simpl. apply F_transfer; auto. lra.
Qed.

Lemma moves_F_const N d m X Y ell kappa p ms :
  legal m p ms ->
  along (fun q => Fp N d m X Y ell kappa q = Fp N d m X Y ell kappa p) p (move_path p ms).
Proof.
  revert p. induction ms as [|x r IH]; intros p; [simpl; auto|].
  intros (H1 & H2 & H3 & H4 & H5).
  pose proof (move_F N d m X Y ell kappa p x H1 H2 H3 H4) as HM.
  destruct HM as [S1 [S2 Hend]].
  change (move_path p (x :: r)) with ([copy_pt p x; do_move p x] ++ move_path (do_move p x) r).
  apply along_app; [simpl; auto|].
  simpl last. specialize (IH (do_move p x) H5).
  apply (along_mono (fun q => Fp N d m X Y ell kappa q = Fp N d m X Y ell kappa (do_move p x)));
    [intros q Hq; rewrite Hq; exact Hend|exact IH].
Qed.

(* ------------------------------------------------------ transpositions through b *)

Definition tr_moves (b : nat) (uv : nat * nat) : list (nat * nat) :=
  [(fst uv, b); (snd uv, fst uv); (b, snd uv)].
Definition perm_moves (b : nat) (ts : list (nat * nat)) : list (nat * nat) :=
  flat_map (tr_moves b) ts.

Lemma perm_moves_length b ts : length (perm_moves b ts) = (3 * length ts)%nat.
Proof.
  induction ts as [|uv ts IH]; [reflexivity|]. unfold perm_moves in *.
  change (flat_map (tr_moves b) (uv :: ts)) with (tr_moves b uv ++ flat_map (tr_moves b) ts).
  rewrite app_length, IH. simpl. lia.
Qed.

(** σ = τ_1 ∘ … ∘ τ_n; the model relabeled by σ. *)
Fixpoint perm_idx (ts : list (nat * nat)) (i : nat) : nat :=
  match ts with
  | nil => i
  | uv :: rest => swap_idx (fst uv) (snd uv) (perm_idx rest i)
  end.
Definition perm_W (W : nat -> nat -> R) (ts : list (nat * nat)) : nat -> nat -> R :=
  fun i => W (perm_idx ts i).
Definition perm_th (th : nat -> R) (ts : list (nat * nat)) : nat -> R :=
  fun i => th (perm_idx ts i).

Definition tr_ok (m b : nat) (ts : list (nat * nat)) : Prop :=
  forall u v, In (u, v) ts -> (u < m)%nat /\ (v < m)%nat /\ u <> v /\ u <> b /\ v <> b.

Ltac eqb_cases' :=
  repeat match goal with
         | |- context [Nat.eqb ?a ?b] => destruct (Nat.eqb_spec a b)
         end; subst; try lia.

(** One transposition: legal, θ swapped everywhere (θ_b stays 0), rows swapped off b. *)
Lemma tr_effect m b u v W th :
  (u < m)%nat -> (v < m)%nat -> (b < m)%nat -> u <> v -> u <> b -> v <> b -> th b = 0 ->
  legal m (W, th) (tr_moves b (u, v)) /\
  snd (run_moves (W, th) (tr_moves b (u, v))) = swap_th th u v /\
  forall i, i <> b -> fst (run_moves (W, th) (tr_moves b (u, v))) i = swap_W W u v i.
Proof.
  intros Hu Hv Hb Huv Hub Hvb H0. split; [|split].
  - simpl. unfold transfer_th. repeat split; auto; eqb_cases'; try ring.
  - simpl. extensionality i. unfold transfer_th, swap_th, swap_idx.
    eqb_cases'; try rewrite H0; ring.
  - intros i Hi. simpl. extensionality j. unfold transfer_W, swap_W, swap_idx.
    eqb_cases'; ring.
Qed.

Lemma swap_idx_fix u v b : u <> b -> v <> b -> swap_idx u v b = b.
Proof. intros. unfold swap_idx. eqb_cases'; reflexivity. Qed.

Lemma swap_idx_ne u v b i : u <> b -> v <> b -> i <> b -> swap_idx u v i <> b.
Proof. intros. unfold swap_idx. eqb_cases'; auto. Qed.

Lemma perm_idx_fix m b ts : tr_ok m b ts -> perm_idx ts b = b.
Proof.
  induction ts as [|[u v] ts IH]; intros H; [reflexivity|]. simpl.
  rewrite IH by (intros u' v' Hin; apply H; right; exact Hin).
  destruct (H u v (or_introl eq_refl)) as (_ & _ & _ & Hub & Hvb). apply swap_idx_fix; auto.
Qed.

Lemma perm_idx_ne m b ts i : tr_ok m b ts -> i <> b -> perm_idx ts i <> b.
Proof.
  induction ts as [|[u v] ts IH]; intros H Hi; [exact Hi|]. simpl.
  destruct (H u v (or_introl eq_refl)) as (_ & _ & _ & Hub & Hvb).
  apply swap_idx_ne; auto. apply IH; [intros u' v' Hin; apply H; right; exact Hin|exact Hi].
Qed.

(** All transpositions: legal; θ ↦ θ ∘ σ; rows off the buffer ↦ W ∘ σ. *)
Lemma perm_effect m b ts :
  forall W th, (b < m)%nat -> th b = 0 -> tr_ok m b ts ->
  legal m (W, th) (perm_moves b ts) /\
  snd (run_moves (W, th) (perm_moves b ts)) = perm_th th ts /\
  forall i, i <> b -> fst (run_moves (W, th) (perm_moves b ts)) i = perm_W W ts i.
Proof.
  induction ts as [|[u v] ts IH]; intros W th Hb H0 Hok.
  - split; [exact I|]. split; [reflexivity|]. intros; reflexivity.
  - destruct (Hok u v (or_introl eq_refl)) as (Hu & Hv & Huv & Hub & Hvb).
    assert (Hok' : tr_ok m b ts) by (intros u' v' Hin; apply Hok; right; exact Hin).
    destruct (tr_effect m b u v W th Hu Hv Hb Huv Hub Hvb H0) as (L1 & T1 & R1).
    set (p1 := run_moves (W, th) (tr_moves b (u, v))) in *.
    assert (Hp1 : p1 = (fst p1, snd p1)) by (destruct p1; reflexivity).
    assert (H01 : snd p1 b = 0) by (rewrite T1; unfold swap_th; rewrite swap_idx_fix; auto).
    destruct (IH (fst p1) (snd p1) Hb H01 Hok') as (L2 & T2 & R2).
    rewrite <- Hp1 in L2, T2, R2.
    change (perm_moves b ((u, v) :: ts)) with (tr_moves b (u, v) ++ perm_moves b ts).
    rewrite run_moves_app. fold p1. split; [|split].
    + apply legal_app; [exact L1|fold p1; exact L2].
    + rewrite T2. unfold perm_th. rewrite T1. extensionality i. reflexivity.
    + intros i Hi. rewrite R2 by exact Hi. unfold perm_W. rewrite R1.
      * reflexivity.
      * apply (perm_idx_ne m b ts i Hok' Hi).
Qed.

(** The relabeling path: the 3n moves, then the buffer row back into place. *)
Definition relabel_path (b : nat) (ts : list (nat * nat)) (p : param) : list param :=
  move_path p (perm_moves b ts) ++ [(perm_W (fst p) ts, perm_th (snd p) ts)].

Lemma relabel N d m X Y ell kappa b ts W th :
  (b < m)%nat -> th b = 0 -> tr_ok m b ts ->
  legal m (W, th) (perm_moves b ts) /\
  last (relabel_path b ts (W, th)) (W, th) = (perm_W W ts, perm_th th ts) /\
  along (fun q => Fp N d m X Y ell kappa q = Fobj N d m X Y ell kappa W th) (W, th)
    (relabel_path b ts (W, th)).
Proof.
  intros Hb H0 Hok. destruct (perm_effect m b ts W th Hb H0 Hok) as (L & T & Rw).
  split; [exact L|split].
  - unfold relabel_path. rewrite last_app. reflexivity.
  - unfold relabel_path. apply along_app; [apply (moves_F_const N d m X Y ell kappa (W, th)), L|].
    rewrite move_path_last.
    set (pf := run_moves (W, th) (perm_moves b ts)) in *.
    assert (Hpf : pf = (fst pf, snd pf)) by (destruct pf; reflexivity).
    assert (Fpf : Fp N d m X Y ell kappa pf = Fobj N d m X Y ell kappa W th).
    { pose proof (along_end _ _ _ (moves_F_const N d m X Y ell kappa (W, th) _ L)) as E.
      rewrite move_path_last in E. exact E. }
    simpl fst. simpl snd. rewrite Hpf. rewrite T. rewrite Hpf in Fpf. rewrite T in Fpf.
    apply along_seg. intros t _. rewrite free_seg_F; [exact Fpf|].
    intros i Hi. destruct (Nat.eq_dec i b) as [->|Hne].
    + left. unfold perm_th. rewrite (perm_idx_fix m b ts Hok). exact H0.
    + right. apply Rw, Hne.
Qed.

(** new:buffer-permutation, general form: the printed theorem applies this lemma. *)
Lemma buffer_relabel :
  forall (N d m : nat) (X : nat -> nat -> R) (Y : nat -> R) (ell : R -> R -> R) (kappa t : R) (W : nat -> nat -> R) (th : nat -> R) (b k : nat) (ts : list (nat * nat)),
    (b < m)%nat ->
    th b = 0 ->
    tr_ok m b ts ->
    (k < length (relabel_path b ts (W, th)))%nat ->
    0 <= t <= 1 ->
    Fobj N d m X Y ell kappa W th = 0 ->
    Fobj N d m X Y ell kappa (perm_W W ts) (perm_th th ts) = 0 ->
    Fp N d m X Y ell kappa (path_pt (W, th) (relabel_path b ts (W, th)) k t) - Rmax (Fobj N d m X Y ell kappa (perm_W W ts) (perm_th th ts)) (Fobj N d m X Y ell kappa W th) = 0 /\ (last (relabel_path b ts (W, th)) (W, th) = (perm_W W ts, perm_th th ts)) /\ (along (fun p => Fp N d m X Y ell kappa p = Fobj N d m X Y ell kappa W th) (W, th) (relabel_path b ts (W, th))) /\ (legal m (W, th) (perm_moves b ts) /\ length (perm_moves b ts) = (3 * length ts)%nat).
Proof.
  intros N d m X Y ell kappa t W th b k ts Hb H0 Hok Hk Ht HA HB.
  destruct (relabel N d m X Y ell kappa b ts W th Hb H0 Hok) as (L & E & C).
  split; [|split; [exact E|split; [exact C|split; [exact L|apply perm_moves_length]]]].
  rewrite (along_pt _ _ _ k t C Hk Ht), HA, HB, Rmax_left by lra. ring.
Qed.
