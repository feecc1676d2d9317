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

(* ------------------------------------------------------ cycles: k + 1 moves each *)

(** The cycle (c_0 c_1 … c_{k−1}) (σ c_i = c_{i+1}, σ c_{k−1} = c_0) through b:
    c_0 → b, c_1 → c_0, …, c_{k−1} → c_{k−2}, b → c_{k−1}: k + 1 moves. As transpositions
    it is (c_0 c_1)(c_1 c_2)…(c_{k−2} c_{k−1}), whose 3(k − 1) moves contain, between
    consecutive transpositions, b → c_i, c_i → b, c_{i+1} → c_i: the first two undo each
    other except for the row of the free unit c_i, which the third overwrites
    ([reduce3]). So the k + 1 moves are legal and end where the 3(k − 1) moves end. *)
Fixpoint cyc_ts (c : list nat) : list (nat * nat) :=
  match c with
  | x :: ((y :: _) as r) => (x, y) :: cyc_ts r
  | _ => nil
  end.
Fixpoint shift_moves (c : list nat) : list (nat * nat) :=
  match c with
  | x :: ((y :: _) as r) => (y, x) :: shift_moves r
  | _ => nil
  end.
Definition cycle_moves (b : nat) (c : list nat) : list (nat * nat) :=
  match c with
  | x :: (_ :: _) => (x, b) :: shift_moves c ++ [(b, last c x)]
  | _ => nil
  end.
(** A permutation by its cycles: the transpositions, and the k + 1 moves per cycle. *)
Definition sigma_ts (cs : list (list nat)) : list (nat * nat) := flat_map cyc_ts cs.
Definition cyc_all (b : nat) (cs : list (list nat)) : list (nat * nat) :=
  flat_map (cycle_moves b) cs.

(** Disjoint cycles of length ≥ 2 of units < m other than the buffer. *)
Definition cycles_ok (m b : nat) (cs : list (list nat)) : Prop :=
  (forall c, In c cs -> NoDup c /\ (2 <= length c)%nat) /\ NoDup (concat cs) /\
  (forall x, In x (concat cs) -> (x < m)%nat /\ x <> b).

(** Two move lists with the same effect wherever the first is legal. *)
Definition mequiv (m : nat) (L L' : list (nat * nat)) : Prop :=
  forall p, legal m p L -> legal m p L' /\ run_moves p L' = run_moves p L.

Lemma legal_app_inv m p L1 L2 :
  legal m p (L1 ++ L2) -> legal m p L1 /\ legal m (run_moves p L1) L2.
Proof.
  revert p. induction L1 as [|x r IH]; intros p; [simpl; auto|].
  intros (H1 & H2 & H3 & H4 & H5). destruct (IH _ H5) as [A B]. simpl.
  repeat split; auto.
Qed.

Lemma mequiv_refl m L : mequiv m L L.
Proof. intros p H. auto. Qed.

Lemma mequiv_trans m L1 L2 L3 : mequiv m L1 L2 -> mequiv m L2 L3 -> mequiv m L1 L3.
Proof.
  intros H12 H23 p H. destruct (H12 p H) as [A B]. destruct (H23 p A) as [C D].
  split; [exact C|congruence].
Qed.

Lemma mequiv_app m L1 L1' L2 L2' :
  mequiv m L1 L1' -> mequiv m L2 L2' -> mequiv m (L1 ++ L2) (L1' ++ L2').
Proof.
  intros H1 H2 p H. destruct (legal_app_inv m p L1 L2 H) as [A B].
  destruct (H1 p A) as [C D]. destruct (H2 _ B) as [E G].
  split.
  - apply legal_app; [exact C|rewrite D; exact E].
  - rewrite !run_moves_app, D. exact G.
Qed.

Lemma reduce3 m b c c' : c' <> b -> mequiv m [(b, c); (c, b); (c', c)] [(c', c)].
Proof.
  intros Hc'b [W th] H. simpl in H.
  destruct H as (Hb & Hc & Hbc & H0 & _ & _ & Hcb & _ & Hc' & _ & Hc'c & _ & _).
  split.
  - simpl. repeat split; auto.
  - simpl. unfold do_move, transfer_W, transfer_th. simpl. f_equal.
    + extensionality i. extensionality j. eqb_cases'; ring.
    + extensionality i. eqb_cases'; try rewrite H0; ring.
Qed.

Lemma last_default (l : list nat) (d d' : nat) : l <> nil -> last l d = last l d'.
Proof.
  induction l as [|x [|y r] IH]; intros H; [contradiction|reflexivity|].
  change (last (y :: r) d = last (y :: r) d'). apply IH. discriminate.
Qed.

Lemma cycle_equiv m b x y r :
  (forall z, In z (x :: y :: r) -> z <> b) ->
  mequiv m (perm_moves b (cyc_ts (x :: y :: r))) (cycle_moves b (x :: y :: r)).
Proof.
  revert x y. induction r as [|z r IH]; intros x y Hb.
  - simpl. apply mequiv_refl.
  - assert (Hyz : forall w, In w (y :: z :: r) -> w <> b)
      by (intros w Hw; apply Hb; right; exact Hw).
    specialize (IH y z Hyz).
    change (perm_moves b (cyc_ts (x :: y :: z :: r)))
      with ([(x, b); (y, x); (b, y)] ++ perm_moves b (cyc_ts (y :: z :: r))).
    eapply mequiv_trans; [apply mequiv_app; [apply mequiv_refl|exact IH]|].
    change (cycle_moves b (y :: z :: r))
      with ((y, b) :: (z, y) :: shift_moves (z :: r) ++ [(b, last (y :: z :: r) y)]).
    change (cycle_moves b (x :: y :: z :: r))
      with ((x, b) :: (y, x) :: (z, y) :: shift_moves (z :: r)
            ++ [(b, last (x :: y :: z :: r) x)]).
    rewrite (last_default (x :: y :: z :: r) x y) by discriminate.
    change (last (x :: y :: z :: r) y) with (last (y :: z :: r) y).
    set (S := shift_moves (z :: r) ++ [(b, last (y :: z :: r) y)]).
    change ([(x, b); (y, x); (b, y)] ++ (y, b) :: (z, y) :: S)
      with ([(x, b); (y, x)] ++ [(b, y); (y, b); (z, y)] ++ S).
    change ((x, b) :: (y, x) :: (z, y) :: S) with ([(x, b); (y, x)] ++ [(z, y)] ++ S).
    apply mequiv_app; [apply mequiv_refl|]. apply mequiv_app; [|apply mequiv_refl].
    apply reduce3. apply Hb. right. right. left. reflexivity.
Qed.

Lemma cycle_equiv_all m b cs :
  (forall z, In z (concat cs) -> z <> b) ->
  mequiv m (perm_moves b (sigma_ts cs)) (cyc_all b cs).
Proof.
  induction cs as [|c cs IH]; intros Hb; [apply mequiv_refl|].
  unfold sigma_ts, cyc_all, perm_moves in *. simpl flat_map.
  rewrite !flat_map_app. apply mequiv_app.
  - destruct c as [|x [|y r]]; [apply mequiv_refl|apply mequiv_refl|].
    apply cycle_equiv. intros z Hz. apply Hb. change (concat ((x :: y :: r) :: cs))
      with ((x :: y :: r) ++ concat cs). apply in_app_iff. left. exact Hz.
  - apply IH. intros z Hz. apply Hb. change (concat (c :: cs)) with (c ++ concat cs).
    apply in_app_iff. right. exact Hz.
Qed.

Lemma shift_length c : length (shift_moves c) = (length c - 1)%nat.
Proof.
  induction c as [|x [|y r] IH]; [reflexivity|reflexivity|].
  change (length (shift_moves (x :: y :: r))) with (S (length (shift_moves (y :: r)))).
  rewrite IH. simpl. lia.
Qed.

Lemma cycle_moves_length b c : (2 <= length c)%nat -> length (cycle_moves b c) = S (length c).
Proof.
  destruct c as [|x [|y r]]; intros H; [simpl in H; lia|simpl in H; lia|].
  unfold cycle_moves. change (length ((x, b) :: shift_moves (x :: y :: r) ++
                                       [(b, last (x :: y :: r) x)]))
    with (S (length (shift_moves (x :: y :: r) ++ [(b, last (x :: y :: r) x)]))).
  rewrite app_length, shift_length. simpl. lia.
Qed.

Lemma cyc_ts_length c : (2 <= length c)%nat -> length (cyc_ts c) = (length c - 1)%nat.
Proof.
  induction c as [|x [|y r] IH]; intros H; [simpl in H; lia|simpl in H; lia|].
  change (length (cyc_ts (x :: y :: r))) with (S (length (cyc_ts (y :: r)))).
  destruct r as [|z r']; [reflexivity|]. rewrite IH by (simpl; lia). simpl. lia.
Qed.

Lemma cyc_all_length b cs :
  (forall c, In c cs -> (2 <= length c)%nat) ->
  length (cyc_all b cs) = (length (concat cs) + length cs)%nat /\
  (length (cyc_all b cs) <= 3 * length (sigma_ts cs))%nat.
Proof.
  induction cs as [|c cs IH]; intros H; [simpl; lia|].
  unfold cyc_all, sigma_ts in *. simpl. rewrite !app_length.
  rewrite cycle_moves_length by (apply H; left; reflexivity).
  rewrite cyc_ts_length by (apply H; left; reflexivity).
  assert (H2 : (2 <= length c)%nat) by (apply H; left; reflexivity).
  destruct (IH (fun c' Hc' => H c' (or_intror Hc'))) as [A B]. lia.
Qed.

Lemma cyc_ts_in c u v : NoDup c -> In (u, v) (cyc_ts c) -> In u c /\ In v c /\ u <> v.
Proof.
  induction c as [|x [|y r] IH]; simpl; intros Hn Hin; try contradiction.
  destruct Hin as [E|Hin].
  - inversion E; subst. apply NoDup_cons_iff in Hn. destruct Hn as [Hx _].
    split; [left; reflexivity|split; [right; left; reflexivity|]].
    intros ->. apply Hx. left. reflexivity.
  - apply NoDup_cons_iff in Hn. destruct Hn as [_ Hn].
    destruct (IH Hn Hin) as (A & B & C). simpl in A, B. tauto.
Qed.

Lemma cycles_tr_ok m b cs : cycles_ok m b cs -> tr_ok m b (sigma_ts cs).
Proof.
  intros (Hc & _ & Hx) u v Hin. unfold sigma_ts in Hin. apply in_flat_map in Hin.
  destruct Hin as [c [Hcs Hin]]. destruct (Hc c Hcs) as [Hn _].
  destruct (cyc_ts_in c u v Hn Hin) as (A & B & C).
  assert (Hu : In u (concat cs)) by (apply in_concat; exists c; auto).
  assert (Hv : In v (concat cs)) by (apply in_concat; exists c; auto).
  destruct (Hx u Hu), (Hx v Hv). auto.
Qed.

(** The relabeling path of a permutation given by its cycles. *)
Definition cyc_path (b : nat) (cs : list (list nat)) (p : param) : list param :=
  move_path p (cyc_all b cs) ++ [(perm_W (fst p) (sigma_ts cs), perm_th (snd p) (sigma_ts cs))].

Lemma cycle_relabel N d m X Y ell kappa b cs W th :
  (b < m)%nat -> th b = 0 -> cycles_ok m b cs ->
  legal m (W, th) (cyc_all b cs) /\
  last (cyc_path b cs (W, th)) (W, th) = (perm_W W (sigma_ts cs), perm_th th (sigma_ts cs)) /\
  along (fun q => Fp N d m X Y ell kappa q = Fobj N d m X Y ell kappa W th) (W, th)
    (cyc_path b cs (W, th)).
Proof.
  intros Hb H0 Hok. pose proof (cycles_tr_ok m b cs Hok) as Htr.
  destruct (perm_effect m b (sigma_ts cs) W th Hb H0 Htr) as (L & T & Rw).
  assert (Hnb : forall z, In z (concat cs) -> z <> b)
    by (intros z Hz; destruct Hok as (_ & _ & Hx); apply Hx, Hz).
  destruct (cycle_equiv_all m b cs Hnb (W, th) L) as [L' E].
  rewrite <- E in T, Rw.
  split; [exact L'|split].
  - unfold cyc_path. rewrite last_app. reflexivity.
  - unfold cyc_path. apply along_app; [apply (moves_F_const N d m X Y ell kappa (W, th)), L'|].
    rewrite move_path_last.
    set (pf := run_moves (W, th) (cyc_all b cs)) in *.
    assert (Hpf : pf = (fst pf, snd pf)) by (destruct pf; reflexivity).
    assert (Fpf : Fp N d m X Y ell kappa pf = Fobj N d m X Y ell kappa W th).
    { pose proof (along_end _ _ _ (moves_F_const N d m X Y ell kappa (W, th) _ L')) as E'.
      rewrite move_path_last in E'. exact E'. }
    simpl fst. simpl snd. rewrite Hpf. rewrite T. rewrite Hpf in Fpf. rewrite T in Fpf.
    apply along_seg. intros t _. rewrite free_seg_F; [exact Fpf|].
    intros i Hi. destruct (Nat.eq_dec i b) as [->|Hne].
    + left. unfold perm_th. rewrite (perm_idx_fix m b (sigma_ts cs) Htr). exact H0.
    + right. apply Rw, Hne.
Qed.

(** σ's fixed points are exactly the units in no cycle: fix(σ) = (m − 1) − Σ k. *)
Lemma perm_idx_app ts1 ts2 i : perm_idx (ts1 ++ ts2) i = perm_idx ts1 (perm_idx ts2 i).
Proof. induction ts1 as [|[u v] r IH]; [reflexivity|]. simpl. rewrite IH. reflexivity. Qed.

Lemma perm_idx_out ts i : (forall u v, In (u, v) ts -> u <> i /\ v <> i) -> perm_idx ts i = i.
Proof.
  induction ts as [|[u v] r IH]; intros H; [reflexivity|]. simpl.
  rewrite IH by (intros u' v' Hin; apply H; right; exact Hin).
  destruct (H u v (or_introl eq_refl)) as [Hu Hv]. unfold swap_idx. eqb_cases'; reflexivity.
Qed.

Lemma cyc_ts_members c u v : In (u, v) (cyc_ts c) -> In u c /\ In v c.
Proof.
  induction c as [|x [|y r] IH]; simpl; intros Hin; try contradiction.
  destruct Hin as [E|Hin].
  - inversion E; subst. auto.
  - destruct (IH Hin) as [A B]. simpl in A, B. tauto.
Qed.

Lemma cycle_moves_units c :
  NoDup c -> (2 <= length c)%nat ->
  forall i, In i c -> In (perm_idx (cyc_ts c) i) c /\ perm_idx (cyc_ts c) i <> i.
Proof.
  induction c as [|x [|y r] IH]; intros Hn Hl i Hi; [simpl in Hl; lia|simpl in Hl; lia|].
  apply NoDup_cons_iff in Hn. destruct Hn as [Hx Hn].
  change (perm_idx (cyc_ts (x :: y :: r)) i)
    with (swap_idx x y (perm_idx (cyc_ts (y :: r)) i)).
  destruct Hi as [<-|Hi].
  - rewrite perm_idx_out.
    + unfold swap_idx. rewrite Nat.eqb_refl. split; [right; left; reflexivity|].
      intros <-. apply Hx. left. reflexivity.
    + intros u v Hin. destruct (cyc_ts_members _ _ _ Hin) as [A B].
      split; intros ->; contradiction.
  - destruct r as [|z r'].
    + destruct Hi as [<-|[]]. simpl. unfold swap_idx.
      destruct (Nat.eqb_spec y x) as [E|E]; [subst; exfalso; apply Hx; left; reflexivity|].
      rewrite Nat.eqb_refl. split; [left; reflexivity|]. intros ->. apply E. reflexivity.
    + destruct (IH Hn ltac:(simpl; lia) i Hi) as [Hj Hne].
      set (j := perm_idx (cyc_ts (y :: z :: r')) i) in *.
      assert (Hjx : j <> x) by (intros ->; contradiction).
      assert (Hix : i <> x) by (intros ->; contradiction).
      unfold swap_idx. destruct (Nat.eqb_spec j x); [contradiction|].
      destruct (Nat.eqb_spec j y) as [->|Hjy].
      * split; [left; reflexivity|]. intros E. apply Hix. symmetry. exact E.
      * split; [right; exact Hj|exact Hne].
Qed.

Lemma NoDup_app_inv (l1 l2 : list nat) :
  NoDup (l1 ++ l2) -> NoDup l2 /\ (forall x, In x l1 -> ~ In x l2).
Proof.
  induction l1 as [|a l1 IH]; intros H; [split; [exact H|intros x []]|].
  simpl in H. apply NoDup_cons_iff in H. destruct H as [Ha H].
  destruct (IH H) as [A B]. split; [exact A|].
  intros x [<-|Hx]; [intros Hin; apply Ha, in_app_iff; right; exact Hin|apply B, Hx].
Qed.

Lemma sigma_fixed_points cs :
  (forall c, In c cs -> NoDup c /\ (2 <= length c)%nat) -> NoDup (concat cs) ->
  forall i, (In i (concat cs) -> In (perm_idx (sigma_ts cs) i) (concat cs) /\
                                 perm_idx (sigma_ts cs) i <> i) /\
            (~ In i (concat cs) -> perm_idx (sigma_ts cs) i = i).
Proof.
  induction cs as [|c cs IH]; intros Hc Hn i; [simpl; split; [intros []|auto]|].
  change (concat (c :: cs)) with (c ++ concat cs) in *.
  destruct (NoDup_app_inv c (concat cs) Hn) as [Hn' Hdis].
  destruct (Hc c (or_introl eq_refl)) as [Hnc Hlc].
  assert (Hc' : forall c', In c' cs -> NoDup c' /\ (2 <= length c')%nat)
    by (intros c' H'; apply Hc; right; exact H').
  unfold sigma_ts. simpl flat_map. rewrite perm_idx_app. fold (sigma_ts cs).
  assert (Out : forall j, ~ In j c -> perm_idx (cyc_ts c) j = j).
  { intros j Hj. apply perm_idx_out. intros u v Hin.
    destruct (cyc_ts_members _ _ _ Hin) as [A B]. split; intros ->; contradiction. }
  split.
  - intros Hi. apply in_app_iff in Hi. destruct Hi as [Hi|Hi].
    + rewrite (proj2 (IH Hc' Hn' i)) by (apply Hdis, Hi).
      destruct (cycle_moves_units c Hnc Hlc i Hi) as [A B].
      split; [apply in_app_iff; left; exact A|exact B].
    + destruct (proj1 (IH Hc' Hn' i) Hi) as [A B].
      rewrite Out by (intros Hj; exact (Hdis _ Hj A)).
      split; [apply in_app_iff; right; exact A|exact B].
  - intros Hi. rewrite (proj2 (IH Hc' Hn' i)) by (intros H; apply Hi, in_app_iff; right; exact H).
    apply Out. intros H. apply Hi, in_app_iff. left. exact H.
Qed.

Lemma sigma_fix_iff m b cs :
  cycles_ok m b cs -> forall i, perm_idx (sigma_ts cs) i = i <-> ~ In i (concat cs).
Proof.
  intros (Hc & Hn & _) i. destruct (sigma_fixed_points cs Hc Hn i) as [A B]. split.
  - intros E Hi. apply (proj2 (A Hi)), E.
  - exact B.
Qed.

(** new:buffer-permutation, general form: the printed theorem applies this lemma. *)
Lemma buffer_relabel :
  forall (N d m : nat) (X : nat -> nat -> R) (Y : nat -> R) (ell : R -> R -> R) (kappa t : R) (W : nat -> nat -> R) (th : nat -> R) (b k : nat) (cs : list (list nat)),
    (b < m)%nat ->
    th b = 0 ->
    cycles_ok m b cs ->
    (k < length (cyc_path b cs (W, th)))%nat ->
    0 <= t <= 1 ->
    Fobj N d m X Y ell kappa W th = 0 ->
    Fobj N d m X Y ell kappa (perm_W W (sigma_ts cs)) (perm_th th (sigma_ts cs)) = 0 ->
    ((Fp N d m X Y ell kappa (path_pt (W, th) (cyc_path b cs (W, th)) k t) - Rmax (Fobj N d m X Y ell kappa (perm_W W (sigma_ts cs)) (perm_th th (sigma_ts cs))) (Fobj N d m X Y ell kappa W th) = 0) /\ (INR (length (cyc_all b cs)) <= (INR m - 1) + INR (length cs) - (INR m - 1 - INR (length (concat cs))))) /\ (last (cyc_path b cs (W, th)) (W, th) = (perm_W W (sigma_ts cs), perm_th th (sigma_ts cs))) /\ (along (fun p => Fp N d m X Y ell kappa p = Fobj N d m X Y ell kappa W th) (W, th) (cyc_path b cs (W, th))) /\ (legal m (W, th) (cyc_all b cs) /\ (length (cyc_all b cs) <= 3 * length (sigma_ts cs))%nat) /\ (forall i, perm_idx (sigma_ts cs) i = i <-> ~ In i (concat cs)).
Proof.
  intros N d m X Y ell kappa t W th b k cs Hb H0 Hok Hk Ht HA HB.
  destruct (cycle_relabel N d m X Y ell kappa b cs W th Hb H0 Hok) as (L & E & C).
  assert (H2 : forall c, In c cs -> (2 <= length c)%nat)
    by (intros c Hc; destruct Hok as (Hc' & _ & _); apply Hc', Hc).
  destruct (cyc_all_length b cs H2) as [Len Len3].
  split; [split|split; [exact E|split; [exact C|split; [split; [exact L|exact Len3]|]]]].
  3: apply (sigma_fix_iff m b cs Hok).
  - rewrite (along_pt _ _ _ k t C Hk Ht), HA, HB, Rmax_left by lra. ring.
  - rewrite Len, plus_INR. lra.
Qed.
